// snn_rom: a read-only memory initialised from a $readmemh file, registered read (when
// `en` is high).
`default_nettype none
module snn_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter INIT  = ""          // $readmemh file (required)
) (
    input  wire             clk,
    input  wire             en,
    input  wire [ADDR-1:0]  addr,
    output reg  [WIDTH-1:0] data
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        if (INIT != "") $readmemh(INIT, mem);
        data = {WIDTH{1'b0}};
    end
    // Addresses beyond the last word read zero (in simulation as in hardware).
    // (Only a depth short of 2^ADDR needs the comparison.)
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) if (en) data <= mem[addr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH;
            always @(posedge clk) if (en) data <= {1'b0, addr} < LIMIT ? mem[addr] : {WIDTH{1'b0}};
        end
    endgenerate
endmodule
`default_nettype wire
