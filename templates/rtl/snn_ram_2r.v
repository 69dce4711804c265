// snn_ram_2r: a RAM with one write port and two registered read ports. A write happens in
// every clock with `we` high; the read registers move when `en` is high. A read sees the
// writes of earlier clocks. Distributed RAM serves the second read from the same storage
// (RAM32M/RAM64M); block RAM duplicates it. STYLE is the storage the compiler chose:
// "block", "distributed" or "registers" (one word).
`default_nettype none
module snn_ram_2r #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    /* verilator lint_off UNUSEDPARAM */
    parameter STYLE = "distributed"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire             clk,
    input  wire             en,
    input  wire             we,
    input  wire [ADDR-1:0]  waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire [ADDR-1:0]  raddr_a,
    output reg  [WIDTH-1:0] rdata_a,
    input  wire [ADDR-1:0]  raddr_b,
    output reg  [WIDTH-1:0] rdata_b
);
    (* ram_style = STYLE *) reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        rdata_a = {WIDTH{1'b0}};
        rdata_b = {WIDTH{1'b0}};
    end
    always @(posedge clk) if (we) mem[waddr] <= wdata;
    // Addresses beyond the last word read zero (in simulation as in hardware; only a depth
    // short of 2^ADDR needs the test).
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) begin
                if (en) begin
                    rdata_a <= mem[raddr_a];
                    rdata_b <= mem[raddr_b];
                end
            end
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
            always @(posedge clk) begin
                if (en) begin
                    rdata_a <= {1'b0, raddr_a} < LIMIT ? mem[raddr_a] : {WIDTH{1'b0}};
                    rdata_b <= {1'b0, raddr_b} < LIMIT ? mem[raddr_b] : {WIDTH{1'b0}};
                end
            end
        end
    endgenerate
endmodule
`default_nettype wire
