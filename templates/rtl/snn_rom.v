// snn_rom: a read-only memory initialised from a $readmemh file, registered read (when
// `en` is high). STYLE is the storage the compiler chose: "block" (RAMB18/RAMB36) or
// "logic" (LUTs).
`default_nettype none
module snn_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter INIT  = "",         // $readmemh file (required)
    /* verilator lint_off UNUSEDPARAM */
    parameter STYLE = "logic"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire             clk,
    input  wire             en,
    input  wire [ADDR-1:0]  addr,
    output reg  [WIDTH-1:0] data
);
    (* rom_style = STYLE *) reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        // The file holds every word (zeroing first would hide it from synthesis tools).
        if (INIT != "") $readmemh(INIT, mem);
        else for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        data = {WIDTH{1'b0}};
    end
    // Addresses beyond the last word read zero (in simulation as in hardware).
    // (Only a depth short of 2^ADDR needs the comparison.)
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) if (en) data <= mem[addr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
            always @(posedge clk) if (en) data <= {1'b0, addr} < LIMIT ? mem[addr] : {WIDTH{1'b0}};
        end
    endgenerate
endmodule
`default_nettype wire
